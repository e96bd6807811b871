using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Learning.Billing;

public static class BillingServiceCollectionExtensions
{
    /// <summary>
    /// Validated <see cref="BillingOptions"/>, the in-memory event store and customer map unless durable ones were
    /// registered first (PostgreSQL), and the signal; callable from a silo and an API instance alike.
    /// </summary>
    public static IServiceCollection AddBillingCore(this IServiceCollection services)
    {
        // A co-hosted API and silo share one container: binding twice would append every plan twice (lists bind by appending).
        if (services.Any(d => d.ServiceType == typeof(BillingSignal)))
        {
            return services;
        }

        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>());
        services.TryAddSingleton<InMemoryBillingStore>();
        services.TryAddSingleton<IBillingEventStore>(sp => sp.GetRequiredService<InMemoryBillingStore>());
        services.TryAddSingleton<ICustomerMap>(sp => sp.GetRequiredService<InMemoryBillingStore>());
        services.AddSingleton<BillingSignal>();
        return services;
    }

    /// <summary>What a silo needs: the core and the processor applying recorded events to the users' grains.</summary>
    public static IServiceCollection AddLearningBilling(this IServiceCollection services)
    {
        services.AddBillingCore();
        services.AddHostedService<BillingEventProcessor>();
        return services;
    }
}
