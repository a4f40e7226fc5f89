"""The demo generator, kept out of the product: realistic bilingual demo content (content), callers,
calls and the roster (people), requests and delivery runs (generator), and writing them into a new
desk (desk). Only the `demo` command (and tests and benchmarks) use it; nothing in domain,
store, services or ui imports it."""
