// The library's namespaces, imported once for each project that links this file (src/L1Net, the tests and the
// benchmarks). Samples and doc snippets write their using lines out, as a user would.
global using L1Net.Activations;
global using L1Net.Data;
global using L1Net.Diagnostics;
global using L1Net.Losses;
global using L1Net.Networks;
global using L1Net.Optimization;
global using L1Net.Regularization;
global using L1Net.Selection;
global using L1Net.Serialization;
global using L1Net.Training;
