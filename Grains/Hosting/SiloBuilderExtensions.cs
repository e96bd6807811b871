using Learning.Accounts;
using Learning.ReadModel;
using Learning.Catalog;
using Learning.Devices;
using Learning.Email;
using Learning.Playback;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Learning.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Registers what the grains of this service need, with validated options. Storage and clustering are the
    /// host's choice; a read model registered before this call (PostgreSQL) replaces the in-memory one.
    /// </summary>
    public static ISiloBuilder AddLearningGrains(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.TryAddKeyedSingleton(Clock.ServiceKey, TimeProvider.System);
        services.TryAddSingleton<CourseCatalog>();
        services.TryAddSingleton<BusinessMetrics>();
        services.AddInMemoryReadModel();

        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccountOptions>, AccountOptionsValidator>());
        services.TryAddSingleton<PasswordHasher>();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>());
        services.AddOptions<DeviceOptions>().BindConfiguration(DeviceOptions.Section);
        services.AddOptions<PlaybackOptions>().BindConfiguration(PlaybackOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlaybackOptions>, PlaybackOptionsValidator>());
        services.AddLearningMail();
        return silo;
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
