"""Consultations (co-design): an agency publishes a draft with questions and dates, signed-in
citizens answer until it closes, the results are public after the close, and the agency must
say what it changed because of them within PRACHA_PROPOSAL_ANSWER_DAYS."""
