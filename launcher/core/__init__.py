"""Pure-Python domain and services of the launcher. Nothing under here may import Qt."""
