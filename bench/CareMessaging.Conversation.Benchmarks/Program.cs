extern alias ConversationService;

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using CareMessaging.Contracts;
using CareMessaging.Conversation.Benchmarks;
using CareMessaging.Conversation.Encryption;
using CareMessaging.Testing;
using HdrHistogram;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

// Measures the Conversation API at hospital scale: 100k conversations and 1M messages in a real
// PostgreSQL started by the test harness, queried through the service's HTTP pipeline.
// Usage: dotnet run -c Release --project bench/CareMessaging.Conversation.Benchmarks [conversations] [messages] [iterations]
var conversations = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
var messages = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
var iterations = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 300;
const int Teams = 20;

using var state = new TemporaryStateDirectory();
Console.WriteLine("Starting PostgreSQL, Redis and RabbitMQ…");
await using var infrastructure = await InfrastructureStack.StartAsync(state.Path);
var database = await infrastructure.GetConnectionStringAsync(ResourceNames.ConversationDb);
var broker = await infrastructure.GetConnectionStringAsync(ResourceNames.Messaging);

var tokens = new TestTokens(ResourceNames.Conversation, "https://identity.caremessaging.bench/", TestTokens.NewSigningKey("bench"));
var encryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
await using var factory = new WebApplicationFactory<ConversationService::Program>().WithWebHostBuilder(web =>
{
    web.UseEnvironment("Benchmark");
    // A console program has no solution-relative content root; the service's files are copied beside it.
    web.UseContentRoot(AppContext.BaseDirectory);
    web.UseSetting($"ConnectionStrings:{ResourceNames.ConversationDb}", database);
    web.UseSetting($"ConnectionStrings:{ResourceNames.Messaging}", broker);
    web.UseSetting("Encryption:ActiveKeyId", "bench");
    web.UseSetting("Encryption:Keys:bench", encryptionKey);
    web.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", Environment.GetEnvironmentVariable("BENCH_SHOW_SQL") == "1" ? LogLevel.Information : LogLevel.Warning));
    web.ConfigureTestServices(tokens.Trust);
});
using var client = factory.CreateClient();

var data = new BenchmarkData(Teams, patientsPerTeam: 500, conversations, messages);
var measuredStaff = data.StaffId(0, 0);
Console.WriteLine($"Loading {conversations:N0} conversations and about {messages:N0} messages…");
var load = Stopwatch.StartNew();
var fields = new ProtectedFields(new KeyRing(Options.Create(new EncryptionOptions { ActiveKeyId = "bench", Keys = { ["bench"] = encryptionKey } })));
await data.LoadAsync(database, fields, new HashSet<int> { 0, 1 }, measuredStaff);
Console.WriteLine($"Loaded in {load.Elapsed.TotalSeconds:F0} s; {await CountAsync("messages"):N0} messages, {data.VisibleConversations.Count:N0} conversations visible to the measured clinician (2 of {Teams} teams).");

var token = tokens.Person(measuredStaff, Roles.Clinician, [data.TeamId(0), data.TeamId(1)], name: "Bench Clinician", lifetime: TimeSpan.FromHours(2));
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

var random = new Random(7);
var fifthPage = await CursorAtPageAsync(5);
var scenarios = new (string Name, Func<Task<HttpResponseMessage>> Call)[]
{
    ("list (first page, 50)", () => client.GetAsync("/api/conversations?limit=50")),
    ("list (page 5 by cursor)", () => client.GetAsync($"/api/conversations?limit=50&cursor={fifthPage}")),
    ("unread filter", () => client.GetAsync("/api/conversations?filter=unread&limit=50")),
    ("read filter", () => client.GetAsync("/api/conversations?filter=read&limit=50")),
    ("search by topic", () => client.GetAsync($"/api/conversations?q={Uri.EscapeDataString(BenchmarkData.Topics[random.Next(BenchmarkData.Topics.Length)].Split(' ')[0].ToLowerInvariant())}")),
    ("search by patient name", () => client.GetAsync("/api/conversations?q=okafor")),
    ("search by patient ID", () => client.GetAsync($"/api/conversations?q={BenchmarkData.PatientId(random.Next(Teams * 500))}")),
    ("thread load", () => client.GetAsync($"/api/conversations/{data.VisibleConversations[random.Next(data.VisibleConversations.Count)]}")),
    ("summary", () => client.GetAsync("/api/conversations/summary")),
    ("send", () => client.PostAsJsonAsync(
        $"/api/conversations/{data.WritableConversations[random.Next(data.WritableConversations.Count)]}/messages",
        new { body = "Benchmark reply: the care team has reviewed your question.", clientMessageId = Guid.NewGuid().ToString() })),
};

Console.WriteLine();
Console.WriteLine($"{"operation",-26} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}   ({iterations} calls each, after 20 warm-up calls)");
foreach (var (name, call) in scenarios)
{
    var histogram = new LongHistogram(TimeStamp.Minutes(1), 3);
    for (var i = 0; i < 20 + iterations; i++)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await call();
        var elapsed = Stopwatch.GetTimestamp() - started;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        if (i >= 20)
        {
            histogram.RecordValue(elapsed);
        }
    }

    Console.WriteLine($"{name,-26} {Ms(histogram, 50),8:F2} {Ms(histogram, 95),8:F2} {Ms(histogram, 99),8:F2} {histogram.GetMaxValue() * 1000.0 / Stopwatch.Frequency,8:F2}");
}

Console.WriteLine();
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):F0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, {await ScalarAsync("SELECT version()")}");
if (Environment.GetEnvironmentVariable("BENCH_HOLD") == "1")
{
    // Keeps the loaded database for EXPLAIN (ANALYZE, BUFFERS) by hand until a line arrives on standard input.
    Console.WriteLine($"Holding the database until a line arrives on standard input: {database}");
    Console.ReadLine();
}

return;

static double Ms(HistogramBase histogram, double percentile) => histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;

async Task<string> CursorAtPageAsync(int page)
{
    string? cursor = null;
    for (var i = 1; i < page; i++)
    {
        var body = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/conversations?limit=50&cursor={cursor}");
        cursor = body.GetProperty("nextCursor").GetString();
    }

    return cursor!;
}

async Task<long> CountAsync(string table) => (long)(await ScalarAsync($"SELECT count(*) FROM {table}"))!;

async Task<object?> ScalarAsync(string sql)
{
    await using var connection = new NpgsqlConnection(database);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return await command.ExecuteScalarAsync();
}
