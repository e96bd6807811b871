using Learning.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Learning.UnitTests.Email;

/// <summary>Start-up validation of <c>Email</c>: a host knows where mail goes, or refuses to start.</summary>
public sealed class EmailOptionsTests
{
    [Fact]
    public void Outside_development_a_host_without_a_mail_destination_is_refused()
    {
        var problems = Problems("Production", new() { ["Email:PublicBaseUrl"] = "https://learn.example.com" });

        Assert.Contains(problems, p => p.StartsWith("Email:Smtp:Host (or Email:PickupDirectory", StringComparison.Ordinal));
    }

    [Fact]
    public void Outside_development_links_need_a_public_base_url()
    {
        var problems = Problems("Production", new() { ["Email:PickupDirectory"] = "/var/mail/learning" });

        Assert.Contains(problems, p => p.StartsWith("Email:PublicBaseUrl is required outside Development", StringComparison.Ordinal));
    }

    [Fact]
    public void Production_smtp_settings_that_are_complete_pass()
    {
        var problems = Problems("Production", new()
        {
            ["Email:Smtp:Host"] = "smtp.internal",
            ["Email:Smtp:Security"] = "SslOnConnect",
            ["Email:Smtp:Username"] = "learning",
            ["Email:Smtp:Password"] = "Xk3r9PqLm2Vt8Wz",
            ["Email:From"] = "Learning <no-reply@learn.test>",
            ["Email:PublicBaseUrl"] = "https://learn.test/",
        });

        Assert.Empty(problems);
    }

    [Fact]
    public void Discarding_mail_needs_neither_a_destination_nor_links()
    {
        Assert.Empty(Problems("Production", new() { ["Email:Discard"] = "true" }));
    }

    [Theory]
    [InlineData("Email:From", "not an address", "Email:From must be one valid address")]
    [InlineData("Email:From", "a@x.test, b@x.test", "Email:From must be one valid address")]
    [InlineData("Email:PublicBaseUrl", "/relative", "Email:PublicBaseUrl must be an absolute http or https URL")]
    [InlineData("Email:PublicBaseUrl", "ftp://learn.test", "Email:PublicBaseUrl must be an absolute http or https URL")]
    [InlineData("Email:PublicBaseUrl", "https://learn.test/?a=b", "Email:PublicBaseUrl must be an absolute http or https URL")]
    [InlineData("Email:Smtp:Port", "70000", "Email:Smtp:Port must be between 1 and 65535")]
    [InlineData("Email:Smtp:Username", "only-the-user", "Email:Smtp:Username and Email:Smtp:Password must be set together")]
    [InlineData("Email:PickupDirectory", "/tmp/also", "Email:Smtp:Host and Email:PickupDirectory are both set")]
    [InlineData("Email:Retry:BackoffCap", "00:00:01", "Email:Retry:BackoffCap must be at least Email:Retry:BackoffBase")]
    [InlineData("Email:Retry:MaxAttempts", "-1", "Email:Retry:MaxAttempts must be 0 (no limit) or more")]
    [InlineData("Email:Lease", "00:00:30", "Email:Lease must be at least twice Email:Smtp:Timeout")]
    public void A_bad_setting_is_named(string key, string value, string expected)
    {
        var problems = Problems("Development", new() { ["Email:Smtp:Host"] = "127.0.0.1", [key] = value });

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_port_means_the_port_of_the_security_mode()
    {
        var options = Resolve("Development", new() { ["Email:Smtp:Host"] = "smtp.test", ["Email:Smtp:Port"] = "", ["Email:Smtp:Security"] = "SslOnConnect" });

        Assert.Equal(465, options.Smtp.EffectivePort);
        Assert.Empty(Validate("Development", options));
    }

    [Fact]
    public void Production_smtp_needs_an_explicit_sender()
    {
        var problems = Problems("Production", new() { ["Email:Smtp:Host"] = "smtp.internal", ["Email:PublicBaseUrl"] = "https://learn.test" });

        Assert.Contains("Email:From is required outside Development when mail goes out through SMTP.", problems);
    }

    [Fact]
    public void Development_without_smtp_writes_eml_files_outside_the_repository_and_links_to_the_local_api()
    {
        var options = Resolve("Development", []);

        Assert.Equal(MailDelivery.PickupDirectory, options.Delivery);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "learning-mail"), options.PickupDirectory);
        Assert.Equal("http://127.0.0.1:5000", options.PublicBaseUrl);
        Assert.Empty(Validate("Development", options));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5003", "http://127.0.0.1:5003")]
    [InlineData("http://+:8080;https://+:8443", "http://localhost:8080")]
    [InlineData("http://0.0.0.0:5000/", "http://localhost:5000")]
    public void Development_links_follow_the_address_the_api_listens_on(string urls, string expected)
    {
        Assert.Equal(expected, Resolve("Development", new() { ["urls"] = urls }).PublicBaseUrl);
    }

    [Fact]
    public void A_relative_pickup_directory_is_under_the_content_root()
    {
        var options = Resolve("Production", new() { ["Email:PickupDirectory"] = "mail" });

        Assert.Equal(Path.Combine(ContentRoot, "mail"), options.PickupDirectory);
    }

    private const string ContentRoot = "/srv/learning";

    private static List<string> Problems(string environment, Dictionary<string, string?> settings) =>
        Validate(environment, Resolve(environment, settings));

    private static EmailOptions Resolve(string environment, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new EmailOptions();
        configuration.GetSection(EmailOptions.Section).Bind(options);
        new EmailOptionsDefaults(new Environment(environment), configuration).PostConfigure(Options.DefaultName, options);
        return options;
    }

    private static List<string> Validate(string environment, EmailOptions options) =>
        new EmailOptionsValidator(new Environment(environment)).Validate(Options.DefaultName, options) is { Failed: true } result
            ? result.Failures.ToList()
            : [];

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Learning.UnitTests";

        public string ContentRootPath { get; set; } = ContentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
