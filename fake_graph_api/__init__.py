"""A fake of the Graph API's Custom Audiences surface, faithful enough for Meta's SDK."""
