using Learning.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Learning.Persistence.Email;

public static class PostgresMailHosting
{
    /// <summary>
    /// The durable mail queue: in silos before <c>AddLearningGrains</c> (which then keeps it), or in an API instance
    /// that lists mail for operators.
    /// </summary>
    public static IServiceCollection AddPostgresMailQueue(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.TryAddSingleton<MailSignal>();
        services.TryAddSingleton<IMailQueue, PostgresMailQueue>();
        return services;
    }
}
