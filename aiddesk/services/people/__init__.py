"""People: a person's page and merging two records of one person (person), erasing a person
(erasure), and the pairs that may be one person (same_people)."""
