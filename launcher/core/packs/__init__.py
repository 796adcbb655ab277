"""County packs (issue 15): a county's file and plugins as one versioned pack file, delivered
signed through The Update Framework, installed atomically on each PC, rolled back when it fails
to load, with a kill switch for one plugin version and the platforms a county retires. The
formats and the module boundaries are fixed in docs/packs-design.md; the IT team's guide is
docs/packs.md."""
