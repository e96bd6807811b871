using System.Text.RegularExpressions;
using Learning.TestSupport;
using Npgsql;

namespace Learning.DeploymentTests;

/// <summary>scripts/backup-db.sh and scripts/restore-db.sh against the test PostgreSQL: a full round trip.</summary>
public sealed class BackupRestoreTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    // Every column of the rows compared, in a fixed order, so "restored" means "equal", not "some rows came back".
    private const string UsersSql =
        "SELECT coalesce(string_agg(concat_ws('|', id, email, full_name, role, created_at, state_version), E'\\n' ORDER BY id), '') FROM users";

    private const string AuditSql =
        "SELECT coalesce(string_agg(concat_ws('|', id, user_id, user_email, action, ip_address, user_agent, metadata::text, created_at), E'\\n' ORDER BY id), '') FROM audit_logs";

    [Fact]
    public async Task A_backup_restores_into_a_new_database_with_every_row()
    {
        var source = await SeededDatabaseAsync();
        using var folder = new TempFolder();
        var dump = Path.Combine(folder.Path, "learning.dump");

        var backup = await RunAsync("backup-db.sh", source, [dump]);

        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Equal(dump, backup.Stdout.Trim().Split('\n')[^1]);
        Assert.Contains("wrote " + dump, backup.Stderr);
        Assert.Equal("PGDMP"u8.ToArray(), File.ReadAllBytes(dump)[..5]);   // pg_dump's custom format
        Assert.Empty(Directory.GetFiles(folder.Path, "*.partial.*"));

        var target = $"learning_restored_{Guid.NewGuid():N}";
        var restore = await RunAsync("restore-db.sh", source, [dump, target]);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains($"created database '{target}'", restore.Stderr);
        var restored = WithDatabase(source, target);
        Assert.Equal(await TextAsync(source, UsersSql), await TextAsync(restored, UsersSql));
        Assert.Equal(await TextAsync(source, AuditSql), await TextAsync(restored, AuditSql));
        Assert.Equal(2L, await PostgresDatabase.ScalarAsync<long>(restored, "SELECT count(*) FROM users"));
        Assert.Equal(3L, await PostgresDatabase.ScalarAsync<long>(restored, "SELECT count(*) FROM audit_logs"));
        // The schema came along too: migration journal, Orleans' queries and the read model's function.
        Assert.Equal(
            await PostgresDatabase.ScalarAsync<long>(source, "SELECT count(*) FROM schema_versions"),
            await PostgresDatabase.ScalarAsync<long>(restored, "SELECT count(*) FROM schema_versions"));
        Assert.Equal(
            await PostgresDatabase.ScalarAsync<long>(source, "SELECT count(*) FROM orleansquery"),
            await PostgresDatabase.ScalarAsync<long>(restored, "SELECT count(*) FROM orleansquery"));
        Assert.Equal(1L, await PostgresDatabase.ScalarAsync<long>(restored, "SELECT count(*) FROM pg_proc WHERE proname = 'publish_user_snapshot'"));
        // And every table of the schema, whatever it holds (grain state included), came back row for row.
        Assert.Equal(await FingerprintAsync(source), await FingerprintAsync(restored));

        await DropAsync(source, target);
    }

    [Fact]
    public async Task Restoring_over_an_existing_database_needs_replace_and_then_brings_back_the_dumped_rows()
    {
        var source = await SeededDatabaseAsync();
        using var folder = new TempFolder();
        var dump = Path.Combine(folder.Path, "learning.dump");
        Assert.Equal(0, (await RunAsync("backup-db.sh", source, [dump])).ExitCode);
        var target = $"learning_restored_{Guid.NewGuid():N}";
        Assert.Equal(0, (await RunAsync("restore-db.sh", source, [dump, target])).ExitCode);
        var restored = WithDatabase(source, target);
        // A change made after the backup, which restoring the backup must undo.
        await ExecuteAsync(restored, "DELETE FROM audit_logs WHERE action = 'login_failed'");
        await InsertUserAsync(restored, Guid.NewGuid(), "late@example.com");

        var refused = await RunAsync("restore-db.sh", source, [dump, target]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("already exists", refused.Stderr);
        Assert.Equal(3L, await PostgresDatabase.ScalarAsync<long>(restored, "SELECT count(*) FROM users"));

        var replaced = await RunAsync("restore-db.sh", source, ["--replace", dump, target]);

        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        Assert.Equal(await TextAsync(source, UsersSql), await TextAsync(restored, UsersSql));
        Assert.Equal(await TextAsync(source, AuditSql), await TextAsync(restored, AuditSql));
        await DropAsync(source, target);
    }

    [Fact]
    public async Task Without_an_output_file_the_backup_gets_a_timestamped_name_in_the_backup_folder()
    {
        var source = await SeededDatabaseAsync();
        using var folder = new TempFolder();
        var backups = Path.Combine(folder.Path, "backups");

        var backup = await RunAsync("backup-db.sh", source, [], new() { ["BACKUP_DIR"] = backups });

        Assert.True(backup.ExitCode == 0, backup.ToString());
        var file = Assert.Single(Directory.GetFiles(backups));
        var database = new NpgsqlConnectionStringBuilder(source).Database!;
        Assert.Matches($@"^{Regex.Escape(database)}-\d{{8}}T\d{{6}}Z\.dump$", Path.GetFileName(file));
        Assert.Equal(file, backup.Stdout.Trim().Split('\n')[^1]);
    }

    [Fact]
    public async Task Failures_exit_non_zero_and_leave_nothing_behind()
    {
        var source = await SeededDatabaseAsync();
        using var folder = new TempFolder();

        // No server on that port: no file, not even a partial one.
        var unreachable = Path.Combine(folder.Path, "unreachable.dump");
        var noServer = await RunAsync("backup-db.sh", source, [unreachable], new() { ["PGPORT"] = FreePort.Next().ToString() });
        Assert.NotEqual(0, noServer.ExitCode);
        Assert.Contains("pg_dump failed", noServer.Stderr);
        Assert.Empty(Directory.GetFiles(folder.Path));

        // Not a dump: refused before the target database is created.
        var garbage = Path.Combine(folder.Path, "garbage.dump");
        await File.WriteAllTextAsync(garbage, "not a dump");
        var target = $"learning_never_{Guid.NewGuid():N}";
        var notADump = await RunAsync("restore-db.sh", source, [garbage, target]);
        Assert.NotEqual(0, notADump.ExitCode);
        Assert.Equal(0L, await PostgresDatabase.ScalarAsync<long>(source, "SELECT count(*) FROM pg_database WHERE datname = $1", target));

        // An existing backup is never overwritten.
        var dump = Path.Combine(folder.Path, "learning.dump");
        Assert.Equal(0, (await RunAsync("backup-db.sh", source, [dump])).ExitCode);
        var before = await File.ReadAllBytesAsync(dump);
        var again = await RunAsync("backup-db.sh", source, [dump]);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Equal(before, await File.ReadAllBytesAsync(dump));
    }

    /// <summary>A fresh migrated database with two users and three audit entries.</summary>
    private static async Task<string> SeededDatabaseAsync()
    {
        var database = await PostgresDatabase.CreateAsync(migrate: true);
        var student = Guid.NewGuid();
        var admin = Guid.NewGuid();
        await InsertUserAsync(database, student, "student@example.com");
        await InsertUserAsync(database, admin, "admin@example.com", role: "admin");
        await InsertAuditAsync(database, student, "student@example.com", "login", """{"device": "web"}""");
        await InsertAuditAsync(database, student, "student@example.com", "login_failed", """{"reason": "invalid_credentials"}""");
        await InsertAuditAsync(database, null, "nobody@example.com", "login_failed", "{}");
        return database;
    }

    private static async Task InsertUserAsync(string connectionString, Guid id, string email, string role = "student")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "INSERT INTO users (id, email, full_name, role, created_at, state_version) VALUES ($1, $2, $3, $4, $5, $6)", connection);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = email });
        command.Parameters.Add(new() { Value = $"Name of {email}" });
        command.Parameters.Add(new() { Value = role });
        command.Parameters.Add(new() { Value = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) });
        command.Parameters.Add(new() { Value = 7L });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task InsertAuditAsync(string connectionString, Guid? userId, string email, string action, string metadata)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "INSERT INTO audit_logs (id, user_id, user_email, action, ip_address, user_agent, metadata, created_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)", connection);
        command.Parameters.Add(new() { Value = Guid.NewGuid() });
        command.Parameters.Add(new() { Value = (object?)userId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = email });
        command.Parameters.Add(new() { Value = action });
        command.Parameters.Add(new() { Value = "203.0.113.7" });
        command.Parameters.Add(new() { Value = "tests/1.0" });
        command.Parameters.Add(new() { Value = metadata });
        command.Parameters.Add(new() { Value = DateTimeOffset.UtcNow });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Each user table with its row count and a digest of its rows, one line per table.</summary>
    private static async Task<string> FingerprintAsync(string connectionString)
    {
        var tables = (await TextAsync(connectionString,
                "SELECT string_agg(quote_ident(table_name), ',' ORDER BY table_name) FROM information_schema.tables " +
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))
            .Split(',');
        var lines = new List<string>();
        foreach (var table in tables)
        {
            lines.Add($"{table}: " + await TextAsync(connectionString,
                $"SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {table} t"));
        }

        return string.Join('\n', lines);
    }

    private static Task<string> TextAsync(string connectionString, string sql) => PostgresDatabase.ScalarAsync<string>(connectionString, sql);

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    private static async Task DropAsync(string connectionString, string database)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(WithDatabase(connectionString, "postgres"), $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    /// <summary>Runs a script with the libpq variables of the connection string's server and database.</summary>
    private static Task<ProcessResult> RunAsync(string script, string connectionString, string[] arguments, Dictionary<string, string?>? extra = null)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString);
        var environment = new Dictionary<string, string?>
        {
            ["PGHOST"] = server.Host,
            ["PGPORT"] = server.Port.ToString(),
            ["PGUSER"] = server.Username,
            ["PGPASSWORD"] = server.Password,
            ["PGDATABASE"] = server.Database,
            ["PGSERVICE"] = null,
            ["BACKUP_DIR"] = null,
            // The server's own binaries when scripts/test.sh started it (pg_dump must not be older than the server).
            ["PG_BIN"] = Environment.GetEnvironmentVariable("TEST_PG_BIN") is { Length: > 0 } bin ? bin : null,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return ProcessRunner.RunAsync("bash", [DeploymentFiles.Path("scripts", script), .. arguments], Timeout, environment);
    }
}
