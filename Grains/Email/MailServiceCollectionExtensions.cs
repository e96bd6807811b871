using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Learning.Email;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// Mail for the grains of a silo: validated <see cref="EmailOptions"/>, the composer, the transport the options
    /// choose, the in-memory queue unless a durable one was registered first (PostgreSQL), and the dispatcher.
    /// </summary>
    public static IServiceCollection AddLearningMail(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<EmailOptions>, EmailOptionsDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>());
        services.TryAddSingleton<IMailComposer, MailComposer>();
        services.TryAddSingleton<MailSignal>();
        services.TryAddSingleton<IMailQueue, InMemoryMailQueue>();
        services.TryAddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.Delivery switch
        {
            MailDelivery.Smtp => ActivatorUtilities.CreateInstance<SmtpMailTransport>(sp),
            MailDelivery.PickupDirectory => ActivatorUtilities.CreateInstance<PickupDirectoryMailTransport>(sp),
            MailDelivery.Discard => new DiscardMailTransport(),
            _ => throw new InvalidOperationException("Email has no destination; start-up validation names the missing setting."),
        });
        services.AddHostedService<MailDispatcher>();
        return services;
    }
}
