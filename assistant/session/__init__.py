"""The session records the interview, storage and reports share.

``models`` holds what a user sends and what the assistant replies (with the profile);
``state`` what persists between turns (the cursor, the findings and their audit trail).
This package sits below the interview, the store and the reports: it imports none of them.
"""
