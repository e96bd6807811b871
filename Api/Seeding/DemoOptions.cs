using Microsoft.Extensions.Options;

namespace Learning.Api.Seeding;

/// <summary>
/// Demo users (section <c>Demo</c>). On by default in Development only; production refuses to start with them
/// enabled, so demo credentials can never open a real deployment.
/// </summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Load the demo users at start-up. Unset means: only in Development.</summary>
    public bool? Enabled { get; set; }

    public string AdminEmail { get; set; } = "admin@example.com";
    public string AdminPassword { get; set; } = "admin-demo-kettle-nebula";
    public string StudentEmail { get; set; } = "student@example.com";
    public string StudentPassword { get; set; } = "student-demo-walrus-fig";
}

internal sealed class DemoOptionsValidator(IHostEnvironment environment) : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options) =>
        options.Enabled == true && !environment.IsDevelopment()
            ? ValidateOptionsResult.Fail($"Demo:Enabled must not be true outside Development (environment is {environment.EnvironmentName}): demo users have published passwords.")
            : ValidateOptionsResult.Success;
}

/// <summary>
/// The first admin of a real deployment (section <c>Bootstrap</c>): created at start-up when both values are
/// set and the email is not taken yet. Pass them as secrets, remove them once the admin exists.
/// </summary>
public sealed class BootstrapAdminOptions
{
    public const string Section = "Bootstrap";

    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }
}
