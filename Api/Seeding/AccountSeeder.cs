using Learning.Accounts;
using Learning.Api.Http;
using Learning.Common;
using Learning.Hosting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Learning.Api.Seeding;

/// <summary>
/// Creates the demo users (Development) and the bootstrap admin (any environment) while the host starts, after
/// the cluster connection is up, so they exist by the time the API listens. An email already taken is left
/// alone, which makes this safe on every start and on every API instance, and on a retry after a timed-out call.
/// </summary>
public sealed class AccountSeeder(
    IGrainFactory grains, IOptions<DemoOptions> demoOptions, IOptions<BootstrapAdminOptions> bootstrapOptions,
    IHostEnvironment environment, [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock, ILogger<AccountSeeder> logger) : IHostedService
{
    private readonly ResiliencePipeline _retry = RetryWhileClusterUnavailable(clock);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (bootstrapOptions.Value is { AdminEmail: { Length: > 0 } email, AdminPassword: { Length: > 0 } password })
        {
            await SeedAsync(new RegisterAccount(email, password, "Administrator", Role.Admin));
        }

        var demo = demoOptions.Value;
        if (!(demo.Enabled ?? environment.IsDevelopment()))
        {
            return;
        }

        await SeedAsync(new RegisterAccount(demo.AdminEmail, demo.AdminPassword, "Demo Admin", Role.Admin));
        await SeedAsync(new RegisterAccount(demo.StudentEmail, demo.StudentPassword, "Demo Student", Role.Student));
        // Printed, not logged: published demo passwords have no place in log files, where nothing secret may appear.
        Console.WriteLine($"Demo users: admin {demo.AdminEmail} / {demo.AdminPassword}; student {demo.StudentEmail} / {demo.StudentPassword}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A cluster busy starting (silos joining, every replica seeding at once, a production-strength hash each) can
    /// outlast one grain call's timeout; the host would then exit and its orchestrator restart it into the same crowd.
    /// So a call the cluster could not answer is made again, for about two minutes, before the start fails.
    /// </summary>
    private static ResiliencePipeline RetryWhileClusterUnavailable(TimeProvider clock) => new ResiliencePipelineBuilder { TimeProvider = clock }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ProblemExceptionHandler.IsClusterUnavailable),
            MaxRetryAttempts = 6,
            Delay = TimeSpan.FromSeconds(2),
            BackoffType = DelayBackoffType.Exponential,
            MaxDelay = TimeSpan.FromSeconds(15),
            UseJitter = true,
        })
        .Build();

    private async Task SeedAsync(RegisterAccount account)
    {
        var result = await _retry.ExecuteAsync(async _ => await grains.GetGrain<IAccountsGrain>(0).Register(account, ClientInfo.Internal));
        if (result.Error is { Code: not ErrorCodes.EmailTaken } failure)
        {
            logger.LogWarning("Account {Email} was not created: {Error} {Message}", account.Email, failure.Code, failure.Message);
        }
    }
}

public static class AccountSeedingExtensions
{
    public static IServiceCollection AddAccountSeeding(this IServiceCollection services)
    {
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DemoOptions>, DemoOptionsValidator>();
        services.AddOptions<BootstrapAdminOptions>().BindConfiguration(BootstrapAdminOptions.Section);
        services.AddHostedService<AccountSeeder>();
        return services;
    }
}
