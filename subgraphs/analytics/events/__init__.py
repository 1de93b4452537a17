"""Events: what happened (page views, searches, feedback, ...), validated and stored."""
