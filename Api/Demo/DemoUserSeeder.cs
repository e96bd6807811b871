using Learning.Accounts;
using Learning.Common;
using Microsoft.Extensions.Options;

namespace Learning.Api.Demo;

/// <summary>
/// Registers the demo users while the host starts, after the cluster connection is up, so they exist by the
/// time the API listens. Registering an existing email is harmless, which makes this safe on every start.
/// </summary>
public sealed class DemoUserSeeder(IGrainFactory grains, IOptions<DemoOptions> options, IHostEnvironment environment, ILogger<DemoUserSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        if (!(demo.Enabled ?? environment.IsDevelopment()))
        {
            return;
        }

        await SeedAsync(new RegisterAccount(demo.AdminEmail, demo.AdminPassword, "Demo Admin", Role.Admin));
        await SeedAsync(new RegisterAccount(demo.StudentEmail, demo.StudentPassword, "Demo Student", Role.Student));
        if (environment.IsDevelopment())
        {
            logger.LogInformation("Demo users: admin {AdminEmail} / {AdminPassword}; student {StudentEmail} / {StudentPassword}",
                demo.AdminEmail, demo.AdminPassword, demo.StudentEmail, demo.StudentPassword);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedAsync(RegisterAccount account)
    {
        var result = await grains.GetGrain<IAccountsGrain>(0).Register(account, ClientInfo.Internal);
        if (result.Error is { Code: not ErrorCodes.EmailTaken } failure)
        {
            logger.LogWarning("Demo user {Email} was not created: {Error} {Message}", account.Email, failure.Code, failure.Message);
        }
    }
}

public static class DemoServiceCollectionExtensions
{
    public static IServiceCollection AddDemoUsers(this IServiceCollection services)
    {
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DemoOptions>, DemoOptionsValidator>();
        services.AddHostedService<DemoUserSeeder>();
        return services;
    }
}
