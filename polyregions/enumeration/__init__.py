"""Region enumeration.

The kernel contract, the engine, runs, the region complex, parallel runs and region streams.
"""
