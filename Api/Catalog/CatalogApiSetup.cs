using Learning.Catalog;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Learning.Api.Catalog;

public static class CatalogApiSetup
{
    /// <summary>
    /// What the catalog routes need besides the snapshot cache (registered with the grains in embedded mode, by
    /// <c>AddLearningCluster</c> in client mode).
    /// </summary>
    public static IServiceCollection AddCatalogApi(this IServiceCollection services)
    {
        services.TryAddSingleton<CatalogSettings>();
        services.AddSingleton<CatalogWriter>();
        return services;
    }
}
