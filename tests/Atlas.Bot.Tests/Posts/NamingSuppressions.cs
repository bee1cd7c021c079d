using System.Diagnostics.CodeAnalysis;

// Test names are sentences (house rule); scoped to this folder until the test project carries an .editorconfig rule.
[assembly: SuppressMessage(
    "Naming",
    "CA1707:Identifiers should not contain underscores",
    Justification = "Test methods read as sentences.",
    Scope = "namespaceanddescendants",
    Target = "~N:Atlas.Bot.Tests.Posts")]
