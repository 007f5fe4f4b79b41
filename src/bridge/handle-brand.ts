/** Marks a PythonObject for the codec without importing its class (the class imports the bridge, which imports the codec). */
export const kHandle: unique symbol = Symbol('pyport.handle')
