"""Python objects handed to the host as handles: kept here, by id, until the host releases them (explicitly, or
when its handle is garbage-collected in JS). They die with the interpreter."""
import collections.abc
import itertools


class Registry:
    def __init__(self):
        self.objects = {}
        self.errors = {}  # iterator id -> the exception to raise at the next batch (items before it went first)
        self._ids = itertools.count(1)

    def __len__(self):
        return len(self.objects)

    def add(self, obj):
        oid = next(self._ids)
        self.objects[oid] = obj
        return oid

    def get(self, oid):
        """The object, or KeyError naming why it is not here."""
        try:
            return self.objects[oid]
        except KeyError:
            raise KeyError("Python object #%s was released (or belongs to another interpreter)" % (oid,)) from None

    def release(self, oids):
        for oid in oids:
            self.objects.pop(oid, None)
            self.errors.pop(oid, None)


def kind(value):
    """'iter' for what the host streams (generators, async generators, any iterator), else 'obj'."""
    if isinstance(value, (collections.abc.Iterator, collections.abc.AsyncIterator)):
        return "iter"
    return "obj"


registry = Registry()
