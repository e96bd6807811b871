namespace Learning.BrowserTests;

// Replaced by the browser tests (the project exists so the solution lists it once).
internal static class Placeholder;
