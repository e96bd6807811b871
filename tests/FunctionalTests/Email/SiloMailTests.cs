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
[Trait(Tier.Name, Tier.Slow)]
public sealed class SiloMailTests(SiloMailTests.MailSilo fixture) : IClassFixture<SiloMailTests.MailSilo>
{
    [Fact]
    public async Task Mail_queued_in_a_silo_is_written_to_the_pickup_folder_without_waiting_for_a_poll()
    {
        var silo = ((InProcessSiloHandle)fixture.Cluster.Primary!).ServiceProvider;
        var mail = silo.GetRequiredService<IMailComposer>().VerifyEmail(Guid.NewGuid(), "ada@learn.test", "Ada", "t0k3n", DateTimeOffset.UtcNow);

        await silo.GetRequiredService<IMailQueue>().EnqueueAsync([mail]);

        // The default poll is 2 s; the in-process nudge makes it far quicker than that.
        await SmtpMailHost.WaitUntilAsync(() => Task.FromResult(Directory.Exists(fixture.Folder) && Directory.GetFiles(fixture.Folder, "*.eml").Length == 1),
            TimeSpan.FromSeconds(1.5));
        var message = await MimeMessage.LoadAsync(Directory.GetFiles(fixture.Folder, "*.eml").Single());
        Assert.Contains("http://learn.test/account/verify-email?token=t0k3n", message.TextBody);
    }

    [Fact]
    public void A_production_host_without_a_mail_destination_refuses_to_start_and_names_the_settings()
    {
        RefusedProductionHost.AssertRefused("Email:Discard", "false", "Email:Smtp:Host (or Email:PickupDirectory");
        RefusedProductionHost.AssertRefused("Email:Discard", "false", "Email:PublicBaseUrl is required outside Development");
    }

    /// <summary>One silo writing mail to a pickup folder of its own, for the class (a cluster per test would start one for the refused-host test too).</summary>
    public sealed class MailSilo : IAsyncLifetime
    {
        public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"learning-mail-test-{Guid.NewGuid():N}");

        public TestCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var builder = new TestClusterBuilder(1);
            builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Email:PickupDirectory"] = Folder,
                ["Email:PublicBaseUrl"] = "http://learn.test",
            }));
            builder.AddSiloBuilderConfigurator<SiloConfigurator>();
            Cluster = builder.Build();
            await Cluster.DeployAsync();
        }

        public async Task DisposeAsync()
        {
            await Cluster.DisposeAsync();
            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddMemoryGrainStorage(StorageNames.Default).AddLearningGrains();
    }
}
