using Learning.Accounts;
using Learning.Common;
using Microsoft.Extensions.Options;

namespace Learning.Api.Seeding;

/// <summary>
/// Creates the demo users (Development) and the bootstrap admin (any environment) while the host starts, after
/// the cluster connection is up, so they exist by the time the API listens. An email already taken is left
/// alone, which makes this safe on every start and on every API instance.
/// </summary>
public sealed class AccountSeeder(
    IGrainFactory grains, IOptions<DemoOptions> demoOptions, IOptions<BootstrapAdminOptions> bootstrapOptions,
    IHostEnvironment environment, ILogger<AccountSeeder> logger) : IHostedService
{
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

    private async Task SeedAsync(RegisterAccount account)
    {
        var result = await grains.GetGrain<IAccountsGrain>(0).Register(account, ClientInfo.Internal);
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
