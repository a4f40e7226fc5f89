"""Pure rules of AidDesk: no Qt, no SQL, nothing else of ours imported."""
