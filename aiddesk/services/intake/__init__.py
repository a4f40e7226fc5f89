"""Taking a call: saving it with its caller and requests (calls), drafts while it is typed
(drafts), recognising a caller as they are typed (lookup)."""
