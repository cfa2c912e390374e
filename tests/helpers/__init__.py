"""Helper code for the tests, imported only by ``tests/conftest.py`` and ``tests/detector/conftest.py``.

Test modules never import from here: they ask for the fixtures those conftest files define.
"""
