using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Learning.Hosting;

/// <summary>
/// A grain call answers with the exception the silo threw, and Orleans writes only exception types of the namespaces it
/// is told about (Microsoft, System, Azure by default). A storage failure in a silo wraps Npgsql's exception, which then
/// could not be written at all: the API's caller got a codec error (500) instead of the database's failure, which the
/// API answers 503 with Retry-After. Silos and clients must agree, so both register the same list here.
/// </summary>
public static class ClusterExceptions
{
    /// <summary>The infrastructure behind the grains whose failures the API tells apart (see its problem mapping).</summary>
    public static readonly IReadOnlyList<string> SerializedNamespaces = ["Npgsql", "StackExchange.Redis"];

    public static IServiceCollection AddClusterExceptionTypes(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.UnionWith(SerializedNamespaces));
}
