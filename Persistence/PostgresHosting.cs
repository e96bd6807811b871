using Learning.Catalog;
using Learning.Hosting;
using Learning.Persistence.Billing;
using Learning.Persistence.Email;
using Learning.Persistence.Progress;
using Learning.Progress;
using Learning.ReadModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Configuration;

namespace Learning.Persistence;

public static class PostgresHosting
{
    /// <summary>
    /// Grain state in PostgreSQL through Orleans' ADO.NET provider (whose queries our migrations install), the
    /// read model and the catalog in PostgreSQL tables. Call before <c>AddLearningGrains</c>, which then keeps these.
    /// </summary>
    public static ISiloBuilder AddPostgresPersistence(this ISiloBuilder silo, string connectionString)
    {
        silo.AddAdoNetGrainStorage(StorageNames.Default, options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = connectionString;
        });
        silo.Services.AddPostgresReadModel(connectionString);
        silo.Services.TryAddSingleton<ICatalogStore, PostgresCatalogStore>();
        silo.Services.TryAddSingleton<IProgressStore, PostgresProgressStore>();
        silo.Services.AddPostgresMailQueue(connectionString);
        silo.Services.AddPostgresBilling(connectionString);
        return silo;
    }

    /// <summary>The read model alone: what an API instance needs to answer the audit and admin listings.</summary>
    public static IServiceCollection AddPostgresReadModel(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.TryAddSingleton<PostgresReadModel>();
        services.TryAddSingleton<IReadModelWriter>(sp => sp.GetRequiredService<PostgresReadModel>());
        services.TryAddSingleton<IAuditQuery>(sp => sp.GetRequiredService<PostgresReadModel>());
        services.TryAddSingleton<IOperatorQueries>(sp => sp.GetRequiredService<PostgresReadModel>());
        return services;
    }

    /// <summary>
    /// Failure detection tuned for fail-over in seconds rather than Orleans' default of about 15 s: a silo that
    /// misses two 2-second probes is declared dead by one vote. Every value can be overridden under
    /// <c>Cluster:Membership</c> (the names of <see cref="ClusterMembershipOptions"/>).
    /// </summary>
    public static ISiloBuilder ConfigureFastFailover(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(2);
            options.NumMissedProbesLimit = 2;
            options.NumVotesForDeathDeclaration = 1;
            options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
            options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
            configuration.GetSection($"{ClusterSettings.Section}:Membership").Bind(options);
        });
        return silo;
    }
}
