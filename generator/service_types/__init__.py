"""The built-in service types, each one plugin object registered like any other.

`pyproject.toml` registers each under the `scaffold.service_types` entry-point group; a package
outside scaffold adds a type the same way (README, "Adding a service type"). Everything that
differs between types lives in its plugin file: the spec model, the template folder, the
Terraform modules, the capabilities the shared templates branch on and what the LLM is told.
"""
