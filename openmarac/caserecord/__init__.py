"""The case record: one page that tells a case's story to anyone who may see the case, from
what they may see of each workflow app's records."""
