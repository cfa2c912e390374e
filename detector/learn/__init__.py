"""Learning: the labelled set, the simulator, training, evaluation and model comparison.

Nothing in scoring imports this package.
"""
