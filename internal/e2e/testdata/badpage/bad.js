window.undefinedFunction();
