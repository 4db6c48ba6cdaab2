"""The server's logic: each module holds one concern; routes call these, never SQL."""
