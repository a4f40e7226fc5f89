"""The Intake screen: logging a call (the caller, the call, one request per need), with the callers
it may be, consent and drafts."""
