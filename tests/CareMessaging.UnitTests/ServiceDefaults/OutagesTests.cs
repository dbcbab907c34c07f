using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults.Outages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RabbitMQ.Client.Exceptions;
using StackExchange.Redis;

namespace CareMessaging.UnitTests.ServiceDefaults;

public sealed class OutagesTests
{
    private static NpgsqlException Refused() =>
        new("Failed to connect to 10.20.30.40:5432", new SocketException((int)SocketError.ConnectionRefused));

    [Fact]
    public void A_database_that_refuses_connections_is_an_outage_of_the_database_however_EF_wraps_it()
    {
        Assert.Equal(Dependency.Database, Outages.Classify(Refused()));
        Assert.Equal(Dependency.Database, Outages.Classify(new DbUpdateException("An error occurred while saving", Refused())));
        Assert.Equal(Dependency.Database, Outages.Classify(new InvalidOperationException("transient failure", new AggregateException(Refused()))));
    }

    [Theory]
    [InlineData("57P01")] // terminating connection due to administrator command (a fast shutdown)
    [InlineData("57P03")] // the database system is starting up
    [InlineData("08006")] // connection failure
    [InlineData("53300")] // too many connections
    public void PostgreSQL_going_away_or_not_yet_back_is_an_outage(string sqlState) =>
        Assert.Equal(Dependency.Database, Outages.Classify(new PostgresException("going away", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void A_constraint_violation_or_a_bug_is_not_an_outage()
    {
        Assert.Null(Outages.Classify(new DbUpdateException("duplicate", new PostgresException("duplicate key", "ERROR", "ERROR", "23505"))));
        Assert.Null(Outages.Classify(new InvalidOperationException("Sequence contains no elements")));
        Assert.Null(Outages.Classify(new OperationCanceledException("the caller went away")));
    }

    [Fact]
    public void Redis_unreachable_timing_out_or_loading_is_an_outage_of_Redis()
    {
        Assert.Equal(Dependency.Redis, Outages.Classify(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is available")));
        Assert.Equal(Dependency.Redis, Outages.Classify(new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent)));
        Assert.Equal(Dependency.Redis, Outages.Classify(new RedisServerException("LOADING Redis is loading the dataset in memory")));
        Assert.Null(Outages.Classify(new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value")));
    }

    [Fact]
    public void An_unreachable_broker_or_a_publish_that_gave_up_is_an_outage_of_the_broker()
    {
        Assert.Equal(Dependency.MessageBroker, Outages.Classify(new BrokerUnreachableException(new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal(Dependency.MessageBroker, Outages.Classify(new DependencyUnavailableException(Dependency.MessageBroker, "publish timed out")));
    }

    [Fact]
    public void Another_service_refusing_failing_or_timing_out_is_an_outage_but_its_4xx_is_not()
    {
        Assert.Equal(Dependency.Service, Outages.Classify(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (conversation:80)")));
        Assert.Equal(Dependency.Service, Outages.Classify(new HttpRequestException("Service Unavailable", null, HttpStatusCode.ServiceUnavailable)));
        Assert.Equal(Dependency.Service, Outages.Classify(new TaskCanceledException("HttpClient.Timeout", new TimeoutException())));
        Assert.Null(Outages.Classify(new HttpRequestException("Forbidden", null, HttpStatusCode.Forbidden)));
    }

    [Fact]
    public void Connection_strings_get_bounded_timeouts_unless_they_set_their_own()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.StatsDb}"] = "Host=db;Port=5432;Username=stats;Password=\"a;b\"",
            [$"ConnectionStrings:{ResourceNames.AuditDb}"] = "Host=db;Timeout=12;Command Timeout=120",
            [$"ConnectionStrings:{ResourceNames.Redis}"] = "localhost:6379,password=secret,syncTimeout=2000",
        }).Build();

        Timeouts.BoundConnectionStrings(configuration);

        var stats = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(ResourceNames.StatsDb));
        Assert.Equal((5, 30, "a;b"), (stats.Timeout, stats.CommandTimeout, stats.Password));
        var audit = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(ResourceNames.AuditDb));
        Assert.Equal((12, 120), (audit.Timeout, audit.CommandTimeout));
        var redis = ConfigurationOptions.Parse(configuration.GetConnectionString(ResourceNames.Redis)!);
        Assert.Equal((2000, 5000, 5000, false, "secret"), (redis.SyncTimeout, redis.AsyncTimeout, redis.ConnectTimeout, redis.AbortOnConnectFail, redis.Password));
    }

    [Fact]
    public async Task A_request_whose_database_is_down_is_a_503_with_Retry_After_that_names_no_address_and_a_bug_stays_a_500()
    {
        await using var app = await StartAsync(web =>
        {
            web.MapGet("/needs-database", () => Task.FromException<string>(new DbUpdateException("save failed", Refused())));
            web.MapGet("/needs-broker", () => Task.FromException<string>(new DependencyUnavailableException(Dependency.MessageBroker, "publish timed out")));
            web.MapGet("/bug", string () => throw new InvalidOperationException("Sequence contains no elements"));
        });
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var outage = await client.GetAsync("/needs-database");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), outage.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", outage.Content.Headers.ContentType?.MediaType);
        var body = await outage.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("The database is unavailable", problem.GetProperty("title").GetString());
        Assert.Equal("database", problem.GetProperty(OutageExceptionHandler.UnavailableMember).GetString());
        Assert.DoesNotContain("10.20.30.40", body, StringComparison.Ordinal);
        Assert.DoesNotContain("5432", body, StringComparison.Ordinal);

        using var broker = await client.GetAsync("/needs-broker");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, broker.StatusCode);
        Assert.Equal("message-broker", (await broker.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unavailable").GetString());

        using var bug = await client.GetAsync("/bug");
        Assert.Equal(HttpStatusCode.InternalServerError, bug.StatusCode);
        Assert.Null(bug.Headers.RetryAfter);
    }

    [Fact]
    public async Task Any_503_problem_tells_the_caller_when_to_try_again()
    {
        await using var app = await StartAsync(web => web.MapGet("/busy", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable)));
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var busy = await client.GetAsync("/busy");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.True(busy.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on a bare 503");
    }

    private static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.UseErrorResponses();
        map(app);
        await app.StartAsync();
        return app;
    }
}
