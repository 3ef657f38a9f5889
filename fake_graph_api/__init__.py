"""A fake Graph API (Custom Audiences), faithful enough for Meta's own SDK."""
