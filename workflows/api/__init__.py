"""The JSON API of circulars: read what the permission table lets you see, fire transitions."""
