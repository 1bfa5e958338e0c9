// The seed demo: the 2017 article's published run reproduced through L1Net's public seams, then the same run with
// L1Net's correct gradient and regularizers. See docs/seed-reproduction.md.
L1Net.Demo.SeedDemoReport.Write(Console.Out);
