using Learning.Billing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Learning.Persistence.Billing;

/// <summary>
/// Stripe's webhook events and the customer map in PostgreSQL (<c>0006_billing.sql</c>): they survive restarts, and
/// every instance's processor claims from the same table. <c>FOR UPDATE SKIP LOCKED</c> keeps two claims from taking
/// one row at the same moment, and the lease (<c>locked_until</c>) keeps it from being claimed again while it is applied.
/// </summary>
public sealed class PostgresBillingStore(NpgsqlDataSource dataSource) : IBillingEventStore, ICustomerMap
{
    public async Task<bool> RecordAsync(ReceivedStripeEvent received, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            INSERT INTO billing_events (id, type, created, payload, received_at, next_attempt_at)
            VALUES ($1, $2, $3, $4, $5, $5)
            ON CONFLICT (id) DO NOTHING
            """, received.Id, received.Type, received.Created, received.Payload, Microseconds(received.ReceivedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<ClaimedStripeEvent>> ClaimDueAsync(
        int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            UPDATE billing_events e SET attempts = e.attempts + 1, locked_until = $2
            FROM (SELECT id FROM billing_events
                  WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
                  ORDER BY created, received_at, id
                  LIMIT $3
                  FOR UPDATE SKIP LOCKED) due
            WHERE e.id = due.id
            RETURNING e.id, e.type, e.created, e.payload, e.received_at, e.attempts
            """, now, now + lease, max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claimed = new List<ClaimedStripeEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ClaimedStripeEvent(
                new ReceivedStripeEvent(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4)),
                reader.GetInt32(5)));
        }

        return claimed.OrderBy(c => c.Event.Created).ThenBy(c => c.Event.ReceivedAt).ThenBy(c => c.Event.Id, StringComparer.Ordinal).ToList();
    }

    public async Task MarkProcessedAsync(ClaimedStripeEvent claim, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            UPDATE billing_events SET status = 'processed', processed_at = $3, locked_until = NULL, last_error = NULL
            WHERE id = $1 AND status = 'pending' AND attempts = $2
            """, claim.Event.Id, claim.Attempt, at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ScheduleRetryAsync(ClaimedStripeEvent claim, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            UPDATE billing_events SET next_attempt_at = $3, locked_until = NULL, last_error = $4
            WHERE id = $1 AND status = 'pending' AND attempts = $2
            """, claim.Event.Id, claim.Attempt, nextAttemptAt, error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkFailedAsync(ClaimedStripeEvent claim, DateTimeOffset at, string error, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            UPDATE billing_events SET status = 'failed', processed_at = $3, locked_until = NULL, last_error = $4
            WHERE id = $1 AND status = 'pending' AND attempts = $2
            """, claim.Event.Id, claim.Attempt, at, error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StripeEventRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = Command(
            "SELECT id, type, status, attempts, received_at, processed_at, last_error FROM billing_events WHERE id = $1", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var status = reader.GetString(2) switch
        {
            "processed" => StripeEventStatus.Processed,
            "failed" => StripeEventStatus.Failed,
            _ => StripeEventStatus.Pending,
        };
        return new StripeEventRecord(reader.GetString(0), reader.GetString(1), status, reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6));
    }

    public async Task LinkAsync(string customerId, Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            INSERT INTO billing_customers (customer_id, user_id, linked_at) VALUES ($1, $2, $3)
            ON CONFLICT (customer_id) DO NOTHING
            """, customerId, userId, at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Guid?> FindUserAsync(string customerId, CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT user_id FROM billing_customers WHERE customer_id = $1", customerId);
        return await command.ExecuteScalarAsync(cancellationToken) is Guid user ? user : null;
    }

    private NpgsqlCommand Command(string sql, params object[] values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value is DateTimeOffset at ? at.ToUniversalTime() : value });
        }

        return command;
    }

    /// <summary>PostgreSQL keeps microseconds: truncated here too, so an event recorded at "now" is due at that same "now".</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
}

public static class PostgresBillingHosting
{
    /// <summary>The durable event store and customer map: in silos before <c>AddLearningGrains</c>, or in a client-only API.</summary>
    public static IServiceCollection AddPostgresBilling(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.TryAddSingleton<PostgresBillingStore>();
        services.TryAddSingleton<IBillingEventStore>(sp => sp.GetRequiredService<PostgresBillingStore>());
        services.TryAddSingleton<ICustomerMap>(sp => sp.GetRequiredService<PostgresBillingStore>());
        return services;
    }
}
