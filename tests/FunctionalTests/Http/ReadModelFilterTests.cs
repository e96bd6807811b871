using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

/// <summary>The audit and admin filter cases against the in-memory read model (PostgreSQL's twin: IntegrationTests).</summary>
[Collection(ApiCollection.Name)]
public sealed class InMemoryReadModelFilterTests(LearningApiFactory factory) : ReadModelFilterCases(factory);
