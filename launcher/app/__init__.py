"""The application layer: no Qt. The composition root, the use cases and the observable state
that the window (launcher.ui) and the command line (launcher.cli) both drive; every use case
announces what happened through ``launcher.app.events``."""
