using Learning.Email;
using Learning.FunctionalTests.Http;
using Learning.Hosting;
using Learning.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Orleans.TestingHost;

namespace Learning.FunctionalTests.Email;

/// <summary>What <c>AddLearningGrains</c> gives every silo: a dispatcher that sends mail queued there at once.</summary>
public sealed class SiloMailTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"learning-mail-test-{Guid.NewGuid():N}");
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:PickupDirectory"] = _folder,
            ["Email:PublicBaseUrl"] = "http://learn.test",
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Mail_queued_in_a_silo_is_written_to_the_pickup_folder_without_waiting_for_a_poll()
    {
        var silo = ((InProcessSiloHandle)_cluster.Primary!).ServiceProvider;
        var mail = silo.GetRequiredService<IMailComposer>().VerifyEmail(Guid.NewGuid(), "ada@learn.test", "Ada", "t0k3n", DateTimeOffset.UtcNow);

        await silo.GetRequiredService<IMailQueue>().EnqueueAsync([mail]);

        // The default poll is 2 s; the in-process nudge makes it far quicker than that.
        await SmtpMailHost.WaitUntilAsync(() => Task.FromResult(Directory.Exists(_folder) && Directory.GetFiles(_folder, "*.eml").Length == 1),
            TimeSpan.FromSeconds(1.5));
        var message = await MimeMessage.LoadAsync(Directory.GetFiles(_folder, "*.eml").Single());
        Assert.Contains("http://learn.test/account/verify-email?token=t0k3n", message.TextBody);
    }

    [Fact]
    public void A_production_host_without_a_mail_destination_refuses_to_start_and_names_the_settings()
    {
        RefusedProductionHost.AssertRefused("Email:Discard", "false", "Email:Smtp:Host (or Email:PickupDirectory");
        RefusedProductionHost.AssertRefused("Email:Discard", "false", "Email:PublicBaseUrl is required outside Development");
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddMemoryGrainStorage(StorageNames.Default).AddLearningGrains();
    }
}
