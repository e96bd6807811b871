using Learning.Access;
using Learning.Accounts;
using Learning.Api.Seeding;
using Learning.Common;
using Learning.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Learning.Api.Access;

/// <summary>
/// With <c>Access:Mode=subscription</c> and the demo users loaded (Development), the demo student gets a grant through
/// its grain (audited <c>access_granted</c>, by the demo admin), so the demo still plays every lesson. Runs after the
/// account seeder; a student who already has access is left alone, so it is safe on every start.
/// </summary>
public sealed class DemoAccessSeeder(
    IGrainFactory grains, IOptions<DemoOptions> demoOptions, IOptions<AccessOptions> accessOptions, IHostEnvironment environment,
    [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock, ILogger<DemoAccessSeeder> logger) : IHostedService
{
    /// <summary>Long enough to outlast any demo, short enough to read as a grant rather than a bug.</summary>
    public static readonly TimeSpan GrantLength = TimeSpan.FromDays(365);

    public const string Reason = "Demo student (Development, Access:Mode=subscription)";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var demo = demoOptions.Value;
        if (!accessOptions.Value.IsSubscription || !(demo.Enabled ?? environment.IsDevelopment()))
        {
            return;
        }

        var student = await grains.GetGrain<IEmailGrain>(EmailAddress.Normalize(demo.StudentEmail)).GetOwner();
        var admin = await grains.GetGrain<IEmailGrain>(EmailAddress.Normalize(demo.AdminEmail)).GetOwner();
        if (student is not { } studentId)
        {
            return;
        }

        var user = grains.GetGrain<IUserGrain>(studentId);
        if ((await user.GetAccess()).Value is { Access.HasAccess: true })
        {
            return;
        }

        var result = await user.AddGrant(new NewGrant(clock.GetUtcNow() + GrantLength, Reason), admin ?? Guid.Empty, ClientInfo.Internal);
        if (result.Error is { } failure)
        {
            logger.LogWarning("The demo student's access grant was not made: {Error} {Message}", failure.Code, failure.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class AccessApiSetup
{
    /// <summary>
    /// The access settings the API reads itself (the demo grant), validated as where the grains run. Call after
    /// <c>AddAccountSeeding</c>: hosted services start in order, and the demo grant needs the demo student.
    /// </summary>
    public static IServiceCollection AddAccessApi(this IServiceCollection services)
    {
        // Validated here too: an API that only talks to a cluster must refuse Billing:Plans without an explicit mode as well.
        services.AddOptions<AccessOptions>().Configure<IConfiguration>(AccessOptions.Read).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>());
        services.AddHostedService<DemoAccessSeeder>();
        return services;
    }
}
