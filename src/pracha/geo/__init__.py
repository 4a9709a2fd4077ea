"""Areas: district boundaries, point lookup (`locate`), place names and coordinate checks.

`geo` imports no other Pracha app.
"""
