"""HTTP routes: thin; each validates, calls one service function and maps errors to HTTP."""
