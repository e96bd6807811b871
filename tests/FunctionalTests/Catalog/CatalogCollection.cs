using Learning.TestSupport;

namespace Learning.FunctionalTests.Catalog;

/// <summary>Catalog management and uploads share an API of their own: they add courses the demo-catalog tests must not see.</summary>
[CollectionDefinition(Name)]
public sealed class CatalogCollection : ICollectionFixture<CatalogApiFactory>
{
    public const string Name = "catalog";
}
