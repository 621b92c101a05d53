"""The files the course ships, each with its SHA-256 checksum.

Every load of a shipped file (from the repository's ``data/`` folder or from the
copy inside the installed package) is checked against this table, so a file that
was edited or damaged by accident is caught before it can change a result.
``data/README.md`` lists the same checksums with each file's provenance; a test
keeps the two in step.
"""

REGISTRY = {
    "regression_train.csv": "46d018d2b500f2c807b19d0d899d07f2ca39ae58ffe61033047d9db84691e7fa",
    "regression_test.csv": "922cffc1784743f87bfbb1c7bb0f97100c2bd287197e7f6d9cbfb8f63fde5c6e",
    "iris_train.csv": "1b68cb1d28107c3eac0ad30a57f936672a23eb1ff56a64d480eb2d18435e3e84",
    "iris_test.csv": "15df7c880b2fefbfa437ee5e4dcb198672d218296cba96bc5af941d1b7d1bdeb",
}
