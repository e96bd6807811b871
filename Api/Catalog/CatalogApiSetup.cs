using Learning.Hosting;

namespace Learning.Api.Catalog;

public static class CatalogApiSetup
{
    /// <summary>
    /// What the catalog routes need: this process's snapshot cache and settings (shared with a co-hosted silo, which
    /// registers the same ones; an API in client mode has only these) and the writer's client.
    /// </summary>
    public static IServiceCollection AddCatalogApi(this IServiceCollection services)
    {
        services.AddCatalogSnapshots();
        services.AddSingleton<CatalogWriter>();
        return services;
    }
}
