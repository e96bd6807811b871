using Learning.Billing;
using Learning.Hosting;
using Learning.Persistence.Billing;

namespace Learning.Api.Billing;

public static class BillingApiSetup
{
    /// <summary>
    /// The billing options, Stripe, and the event store the webhook records into: the co-hosted silo's (memory or
    /// PostgreSQL, registered with it), or, for an API that is only a cluster client, PostgreSQL's.
    /// </summary>
    public static IServiceCollection AddBillingApi(this IServiceCollection services, ClusterSettings cluster)
    {
        if (cluster.IsClient && cluster.Postgres is { } postgres)
        {
            services.AddPostgresBilling(postgres);
        }

        services.AddBillingCore();
        services.AddSingleton<IStripeGateway, StripeGateway>();
        return services;
    }
}
