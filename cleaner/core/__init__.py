"""The pure core: five stages over the blocks of one document (see `pipeline.STAGES`).

No web, CLI or batch imports here: the core depends only on `cleaner.model`, `cleaner.ruleset`,
`cleaner.config` and `cleaner.errors`.
"""
