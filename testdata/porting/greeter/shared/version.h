// version.h - found through the project's AdditionalIncludeDirectories ($(ProjectDir)Shared).
#pragma once

#define GREETER_VERSION 3
