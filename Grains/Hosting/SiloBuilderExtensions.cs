using Learning.Access;
using Learning.Accounts;
using Learning.Billing;
using Learning.ReadModel;
using Learning.Catalog;
using Learning.Devices;
using Learning.Email;
using Learning.Playback;
using Learning.Progress;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Learning.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Registers what the grains of this service need, with validated options. Storage and clustering are the
    /// host's choice; a read model and catalog store registered before this call (PostgreSQL) replace the in-memory ones.
    /// </summary>
    public static ISiloBuilder AddLearningGrains(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.AddClusterExceptionTypes();
        services.TryAddKeyedSingleton(Clock.ServiceKey, TimeProvider.System);
        services.TryAddSingleton<BusinessMetrics>();
        services.AddInMemoryReadModel();
        services.TryAddSingleton<ICatalogStore, InMemoryCatalogStore>();
        services.TryAddSingleton<IProgressStore, InMemoryProgressStore>();
        services.AddCatalogSnapshots();

        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccountOptions>, AccountOptionsValidator>());
        services.TryAddSingleton<PasswordHasher>();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>());
        services.AddOptions<DeviceOptions>().BindConfiguration(DeviceOptions.Section);
        services.AddOptions<PlaybackOptions>().BindConfiguration(PlaybackOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlaybackOptions>, PlaybackOptionsValidator>());
        services.AddLearningMail();
        services.AddOptions<AccessOptions>().Configure<IConfiguration>(AccessOptions.Read).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>());
        // Access deadlines wake user grains through a reminder (subscription mode only: open mode never registers one,
        // so its hosts run no reminder service). A host that stores reminders durably registers its table first (the
        // production silo: Redis); otherwise they live in this process, as grain state does.
        var access = new AccessOptions();
        AccessOptions.Read(access, silo.Configuration);
        if (access.IsSubscription && !services.Any(d => d.ServiceType == typeof(Orleans.IReminderTable)))
        {
            silo.UseInMemoryReminderService();
        }

        services.AddLearningBilling();
        return silo;
    }

    /// <summary>
    /// The catalog settings and this process's snapshot cache (<see cref="ICatalogSnapshots"/>), for a silo and an API
    /// instance alike; registered once however many times it is called, so a co-hosted API and silo share one cache.
    /// </summary>
    public static IServiceCollection AddCatalogSnapshots(this IServiceCollection services)
    {
        services.TryAddSingleton<CatalogSettings>();
        services.TryAddSingleton<ICatalogSnapshots, CatalogSnapshots>();
        return services;
    }

    /// <summary>The in-memory read model, shared by the grains (writer) and a co-hosted API (queries).</summary>
    public static IServiceCollection AddInMemoryReadModel(this IServiceCollection services)
    {
        services.TryAddSingleton<InMemoryReadModel>();
        services.TryAddSingleton<IReadModelWriter>(sp => sp.GetRequiredService<InMemoryReadModel>());
        services.TryAddSingleton<IAuditQuery>(sp => sp.GetRequiredService<InMemoryReadModel>());
        services.TryAddSingleton<IOperatorQueries>(sp => sp.GetRequiredService<InMemoryReadModel>());
        return services;
    }
}
