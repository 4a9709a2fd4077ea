"""The LINE chat's services: the inbox, the conversation, replies, accounts, privacy."""
